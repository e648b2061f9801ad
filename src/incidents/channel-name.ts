/**
 * Incident channel names: `inc-<number>-<slug of the title>`, within Slack's rules (lowercase letters, digits,
 * `-` and `_`, at most 80 characters). Accents are dropped, Cyrillic and Greek are transliterated, and a title
 * with nothing left (Chinese, emoji) gives `inc-<number>`. `attempt` > 1 adds `-<attempt>` after `name_taken`.
 */
export const CHANNEL_NAME_MAX = 80;
const SLUG_MAX = 60;

const TRANSLITERATION: Record<string, string> = {
  ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ı: 'i',
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'e', ж: 'zh', з: 'z', и: 'i', й: 'i', к: 'k', л: 'l', м: 'm',
  н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'kh', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'shch',
  ъ: '', ы: 'y', ь: '', э: 'e', ю: 'yu', я: 'ya', і: 'i', ї: 'yi', є: 'ye', ґ: 'g',
  α: 'a', β: 'v', γ: 'g', δ: 'd', ε: 'e', ζ: 'z', η: 'i', θ: 'th', ι: 'i', κ: 'k', λ: 'l', μ: 'm', ν: 'n', ξ: 'x',
  ο: 'o', π: 'p', ρ: 'r', σ: 's', ς: 's', τ: 't', υ: 'y', φ: 'f', χ: 'ch', ψ: 'ps', ω: 'o',
};

export function slugify(text: string, max = SLUG_MAX): string {
  const ascii = Array.from(text.normalize('NFKD').toLowerCase())
    .filter((ch) => !/\p{M}/u.test(ch))
    .map((ch) => TRANSLITERATION[ch] ?? ch)
    .join('');
  const slug = ascii.replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return slug.slice(0, max).replace(/-+$/, '');
}

export function incidentChannelName(incidentId: number, title: string, attempt = 1): string {
  const prefix = `inc-${incidentId}`;
  const suffix = attempt > 1 ? `-${attempt}` : '';
  const room = CHANNEL_NAME_MAX - prefix.length - suffix.length - 1;
  const slug = slugify(title, Math.min(SLUG_MAX, room));
  return `${prefix}${slug ? `-${slug}` : ''}${suffix}`;
}
