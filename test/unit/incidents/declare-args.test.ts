import { describe, expect, it } from 'vitest';
import { parseDeclareArgs } from '../../../src/incidents/declare-args.ts';

const services = ['payments', 'search'];

describe('parseDeclareArgs', () => {
  it('reads severity, service and title in that order', () => {
    expect(parseDeclareArgs('sev2 payments Checkout returns 502 for card payments', services)).toEqual({ severity: 'sev2', serviceId: 'payments', title: 'Checkout returns 502 for card payments' });
  });

  it('treats both optional words as optional and case-insensitive', () => {
    expect(parseDeclareArgs('SEV1 Everything is down', services)).toEqual({ severity: 'sev1', title: 'Everything is down' });
    expect(parseDeclareArgs('Search is slow', services)).toEqual({ serviceId: 'search', title: 'is slow' });
    expect(parseDeclareArgs('Checkout is slow', services)).toEqual({ title: 'Checkout is slow' });
  });

  it('keeps a title that starts with an unknown word or a bad severity', () => {
    expect(parseDeclareArgs('sev9 payments down', services)).toEqual({ title: 'sev9 payments down' });
    expect(parseDeclareArgs('sev2 paymnts down', services)).toEqual({ severity: 'sev2', title: 'paymnts down' });
  });

  it('has no title when only options were given', () => {
    expect(parseDeclareArgs('', services)).toEqual({});
    expect(parseDeclareArgs('sev2 payments', services)).toEqual({ severity: 'sev2', serviceId: 'payments' });
  });
});
