/** Bucket bounds, in seconds, of the histograms computed from the database. */

/** From a declaration to the first acknowledgement of a page: seconds to a couple of hours. */
export const TIME_TO_ACKNOWLEDGE_BOUNDS = [30, 60, 120, 300, 600, 900, 1800, 3600, 7200];

/** From a declaration to its resolution: minutes to days. */
export const TIME_TO_RESOLVE_BOUNDS = [300, 900, 1800, 3600, 7200, 14400, 28800, 86400, 259200];
