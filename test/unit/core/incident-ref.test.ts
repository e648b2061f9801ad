import { describe, expect, it } from 'vitest';
import { incidentRefRefusal, parseIncidentRef } from '../../../src/core/incident-ref.ts';

describe('parseIncidentRef', () => {
  it('reads INC-n, inc-n and #n', () => {
    expect(['INC-42', 'inc-42', '#42', ' INC-042 '].map(parseIncidentRef)).toEqual([42, 42, 42, 42]);
  });

  it('reads nothing else as an incident', () => {
    for (const text of ['INC-', 'INC--1', 'INC-1e3', 'INC-0', 'INC-2147483648', 'INC-99999999999999999999', 'INC-1.5', 'INC-+1', 'INC 42', 'payments', '']) {
      expect(parseIncidentRef(text), text).toBeUndefined();
    }
  });
});

describe('incidentRefRefusal', () => {
  it('refuses a word meant as an incident that is not one, naming it as typed and escaped', () => {
    expect(incidentRefRefusal('INC-2147483648')).toBe('INC-2147483648 is not an incident: incidents are numbered like INC-42.');
    for (const word of ['INC-', 'INC--1', 'INC-1e3', 'inc-0', '#0', '#1e3', 'INC–42', 'INC42x', 'INC-99999999999999999999']) {
      expect(incidentRefRefusal(word), word).toBe(`${word} is not an incident: incidents are numbered like INC-42.`);
    }
    expect(incidentRefRefusal('INC-&lt;!channel&gt;')).toBe('INC-&lt;!channel&gt; is not an incident: incidents are numbered like INC-42.');
    expect(incidentRefRefusal('INC-<!channel>')).toBe('INC-@channel is not an incident: incidents are numbered like INC-42.');
    expect(incidentRefRefusal(`INC-${'9'.repeat(8000)}`)).toBe(`INC-${'9'.repeat(35)}… is not an incident: incidents are numbered like INC-42.`);
  });

  it('has nothing to say about a valid reference, or a word not meant as one', () => {
    for (const word of ['INC-42', '#7', 'rolled', 'INC', 'incident', '#general', '<#C0GENERAL|general>', '']) expect(incidentRefRefusal(word), word).toBeUndefined();
  });
});
