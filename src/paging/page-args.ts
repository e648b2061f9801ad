/** Reads `/incident page <@user or service> …` as Slack sends it (mentions arrive as `<@U123|name>`). Pure. */
import { parseMention } from '../core/mrkdwn.ts';

export interface PageArgs {
  userIds: string[];
  serviceIds: string[];
  unknown: string[];
}

export function parsePageArgs(text: string, knownServices: readonly string[]): PageArgs {
  const args: PageArgs = { userIds: [], serviceIds: [], unknown: [] };
  for (const word of text.split(/[\s,]+/).filter(Boolean)) {
    const userId = parseMention(word);
    if (userId) {
      if (!args.userIds.includes(userId)) args.userIds.push(userId);
    } else if (knownServices.includes(word.toLowerCase())) {
      if (!args.serviceIds.includes(word.toLowerCase())) args.serviceIds.push(word.toLowerCase());
    } else {
      args.unknown.push(word);
    }
  }
  return args;
}
