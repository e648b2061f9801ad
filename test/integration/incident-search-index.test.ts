/**
 * The words of an incident's timeline in the similar-incident index (migrations 0003, 0005 and 0010): kept current
 * by triggers, bounded for long incidents so that each new note costs the same.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testDatabase } from '../support/db.ts';

let database: ReturnType<typeof testDatabase>;
beforeEach(() => {
  database = testDatabase();
  database.sqlite.prepare("INSERT INTO incidents (title, severity, status, declared_by, declared_at, updated_at) VALUES ('Checkout fails', 'sev2', 'investigating', 'U01ALICE', 0, 0)").run();
});
afterEach(() => database.remove());

const add = (kind: string, text: string) => database.sqlite.prepare('INSERT INTO timeline_events (incident_id, kind, at, text, recorded_at) VALUES (1, ?, 0, ?, 0)').run(kind, text);
const indexed = (): string => (database.sqlite.prepare('SELECT notes FROM incident_search WHERE rowid = 1').get() as { notes: string }).notes;

describe('the incident search index', () => {
  it('follows notes, captured messages, updates and the resolution as they are written, edited and taken back', () => {
    add('note', 'pool exhausted');
    add('paged', 'Paged <@U01BOB>');
    const message = add('message', 'restarting pgbouncer');
    expect(indexed()).toBe('pool exhausted\nrestarting pgbouncer');
    database.sqlite.prepare('UPDATE timeline_events SET text = ? WHERE id = ?').run('restarted pgbouncer', message.lastInsertRowid);
    expect(indexed()).toContain('restarted pgbouncer');
    database.sqlite.prepare('UPDATE timeline_events SET deleted_at = 1 WHERE id = ?').run(message.lastInsertRowid);
    expect(indexed()).toBe('pool exhausted');
  });

  it('takes the root cause and the whys from the post-mortem', () => {
    const cause = (): unknown => database.sqlite.prepare('SELECT root_cause AS rootCause, whys FROM incident_search WHERE rowid = 1').get();
    database.sqlite.prepare("INSERT INTO postmortems (incident_id, form, state, root_cause, whys, created_by, created_at, updated_by, updated_at) VALUES (1, '{}', 'complete', 'expired certificate', 'cert not renewed', 'U01ALICE', 0, 'U01ALICE', 0)").run();
    expect(cause()).toEqual({ rootCause: 'expired certificate', whys: 'cert not renewed' });
    database.sqlite.prepare("UPDATE postmortems SET root_cause = 'no renewal alert' WHERE incident_id = 1").run();
    expect(cause()).toEqual({ rootCause: 'no renewal alert', whys: 'cert not renewed' });
  });

  it('keeps the resolution and updates of a long incident, and its first hundred notes', () => {
    for (let i = 1; i <= 150; i += 1) add('note', `note ${i}`);
    add('update', 'rolled back the release');
    add('resolved', 'raised the pool size');
    const words = indexed().split('\n');
    expect(words.slice(0, 2)).toEqual(['rolled back the release', 'raised the pool size']);
    expect(words).toContain('note 1');
    expect(words).toContain('note 98');
    expect(words).not.toContain('note 99');
    expect(words).toHaveLength(100);
  });

  it('leaves the index alone for notes past the first hundred, and lets them in when an earlier one is deleted', () => {
    const ids = Array.from({ length: 100 }, (_, i) => add('note', `note ${i + 1}`).lastInsertRowid);
    add('note', 'note 101');
    expect(indexed().split('\n')).not.toContain('note 101');
    database.sqlite.prepare('UPDATE timeline_events SET deleted_at = 1 WHERE id = ?').run(ids[4]);
    const words = indexed().split('\n');
    expect(words).not.toContain('note 5');
    expect(words).toContain('note 101');
    expect(words).toHaveLength(100);
  });

  it('indexes a captured message once its text is known', () => {
    const message = database.sqlite.prepare("INSERT INTO timeline_events (incident_id, kind, at, recorded_at) VALUES (1, 'message', 0, 0)").run();
    expect(indexed()).toBe('');
    database.sqlite.prepare('UPDATE timeline_events SET text = ? WHERE id = ?').run('failing over to the replica', message.lastInsertRowid);
    expect(indexed()).toBe('failing over to the replica');
  });
});
