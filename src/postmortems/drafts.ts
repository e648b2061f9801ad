/** The form as it was last saved (or a new one), for reopening it. */
import type { Db } from '../core/db.ts';
import type { Incident } from '../incidents/index.ts';
import type { LastEdit } from './blocks.ts';
import { newForm, storedForm, type PostmortemForm } from './form.ts';
import { getPostmortem } from './store.ts';

export async function draftOf(db: Db, incident: Incident): Promise<{ form: PostmortemForm; lastEdit: LastEdit | undefined }> {
  const row = await getPostmortem(db, incident.id);
  if (!row) return { form: newForm(incident.title), lastEdit: undefined };
  return { form: storedForm(row.form, incident.title), lastEdit: { by: row.updatedBy, at: row.updatedAt, state: row.state } };
}
