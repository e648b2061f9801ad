/** The Web API methods the fake knows, by name. Anything else is `unknown_method`. */
import { appsConnectionsOpen } from './apps-connections-open.ts';
import { authTest } from './auth-test.ts';
import { bookmarksAdd, bookmarksList } from './bookmarks.ts';
import { chatGetPermalink } from './chat-get-permalink.ts';
import { chatPostEphemeral } from './chat-post-ephemeral.ts';
import { chatPostMessage } from './chat-post-message.ts';
import { chatUpdate } from './chat-update.ts';
import type { MethodDef } from './common.ts';
import { conversationsArchive } from './conversations-archive.ts';
import { conversationsCreate } from './conversations-create.ts';
import { conversationsHistory } from './conversations-history.ts';
import { conversationsInfo } from './conversations-info.ts';
import { conversationsInvite } from './conversations-invite.ts';
import { conversationsJoin } from './conversations-join.ts';
import { conversationsList } from './conversations-list.ts';
import { conversationsMembers } from './conversations-members.ts';
import { conversationsOpen } from './conversations-open.ts';
import { conversationsReplies } from './conversations-replies.ts';
import { conversationsSetPurpose } from './conversations-set-purpose.ts';
import { conversationsSetTopic } from './conversations-set-topic.ts';
import { filesCompleteUploadExternal } from './files-complete-upload-external.ts';
import { filesDelete } from './files-delete.ts';
import { filesGetUploadURLExternal } from './files-get-upload-url-external.ts';
import { filesInfo } from './files-info.ts';
import { pinsAdd } from './pins-add.ts';
import { usersInfo } from './users-info.ts';
import { viewsOpen } from './views-open.ts';
import { viewsPublish } from './views-publish.ts';
import { viewsPush } from './views-push.ts';
import { viewsUpdate } from './views-update.ts';

const ALL: MethodDef[] = [
  appsConnectionsOpen,
  authTest,
  bookmarksAdd,
  bookmarksList,
  chatGetPermalink,
  chatPostEphemeral,
  chatPostMessage,
  chatUpdate,
  conversationsArchive,
  conversationsCreate,
  conversationsHistory,
  conversationsInfo,
  conversationsInvite,
  conversationsJoin,
  conversationsList,
  conversationsMembers,
  conversationsOpen,
  conversationsReplies,
  conversationsSetPurpose,
  conversationsSetTopic,
  filesCompleteUploadExternal,
  filesDelete,
  filesGetUploadURLExternal,
  filesInfo,
  pinsAdd,
  usersInfo,
  viewsOpen,
  viewsPublish,
  viewsPush,
  viewsUpdate,
];

export const METHODS: ReadonlyMap<string, MethodDef> = new Map(ALL.map((m) => [m.name, m]));

export type { MethodContext, MethodDef, Services } from './common.ts';
