import { fail, ok, type MethodDef } from './common.ts';
import { isFile, visibleFile } from './files-common.ts';

/**
 * files.delete: only the file's uploader may delete it (`cant_delete_file`). The file leaves the messages that
 * shared it; a message left with nothing else in it is deleted.
 */
export const filesDelete: MethodDef = {
  name: 'files.delete',
  scopes: ['files:write'],
  required: ['file'],
  handle: (ctx) => {
    const file = visibleFile(ctx);
    if (!isFile(file)) return file;
    if (file.user !== ctx.token.userId) return fail('cant_delete_file');
    ctx.ws.deleteFile(file.id);
    return ok();
  },
};
