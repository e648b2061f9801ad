/** Reads `/incident page <@user or service> …` as Slack sends it (mentions arrive as `<@U123|name>`). Pure. */

export interface PageArgs {
  userIds: string[];
  serviceIds: string[];
  unknown: string[];
}

const MENTION = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/;

export function parsePageArgs(text: string, knownServices: readonly string[]): PageArgs {
  const args: PageArgs = { userIds: [], serviceIds: [], unknown: [] };
  for (const word of text.split(/[\s,]+/).filter(Boolean)) {
    const mention = MENTION.exec(word);
    if (mention) {
      if (!args.userIds.includes(mention[1]!)) args.userIds.push(mention[1]!);
    } else if (knownServices.includes(word.toLowerCase())) {
      if (!args.serviceIds.includes(word.toLowerCase())) args.serviceIds.push(word.toLowerCase());
    } else {
      args.unknown.push(word);
    }
  }
  return args;
}
