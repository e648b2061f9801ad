import { describe, expect, it } from 'vitest';
import { CHANNEL_NAME_MAX, incidentChannelName, slugify } from '../../../src/incidents/channel-name.ts';

const VALID = /^[a-z0-9_-]+$/;

describe('incidentChannelName', () => {
  it('is inc-<number>-<slug>', () => {
    expect(incidentChannelName(7, 'Checkout returns 502 for card payments')).toBe('inc-7-checkout-returns-502-for-card-payments');
  });

  it('drops accents and punctuation and lowercases', () => {
    expect(incidentChannelName(12, 'Überweisung: Fehler bei SEPA-Zahlungen!')).toBe('inc-12-uberweisung-fehler-bei-sepa-zahlungen');
    expect(incidentChannelName(3, 'Straße ŁÓDŹ')).toBe('inc-3-strasse-lodz');
  });

  it('transliterates Cyrillic and Greek and falls back to the number for other scripts', () => {
    expect(incidentChannelName(4, 'Оплата не проходит')).toBe('inc-4-oplata-ne-prokhodit');
    expect(incidentChannelName(5, 'Σφάλμα πληρωμής')).toBe('inc-5-sfalma-pliromis');
    expect(incidentChannelName(6, '支払いエラー 🔥')).toBe('inc-6');
  });

  it('keeps within 80 characters without a trailing dash, suffix included', () => {
    const title = 'a'.repeat(30) + ' ' + 'b'.repeat(30) + ' ' + 'c'.repeat(40);
    for (const attempt of [1, 2, 15]) {
      const name = incidentChannelName(123456789, title, attempt);
      expect(name.length).toBeLessThanOrEqual(CHANNEL_NAME_MAX);
      expect(name).toMatch(VALID);
      expect(name).not.toMatch(/--|-$/);
    }
    expect(incidentChannelName(1, title, 2).endsWith('-2')).toBe(true);
  });

  it('suffixes retries after name_taken', () => {
    expect(incidentChannelName(7, 'DNS down', 2)).toBe('inc-7-dns-down-2');
    expect(incidentChannelName(6, '支払い', 3)).toBe('inc-6-3');
  });

  it('only ever produces valid names', () => {
    const samples = ['<!channel> ping', '   ', '___', 'Ω≈ç√∫', 'a'.repeat(500), 'DROP TABLE incidents;--', '😀'.repeat(100), 'x\u0000y\nz'];
    for (const title of samples) expect(incidentChannelName(99, title)).toMatch(VALID);
  });
});

describe('slugify', () => {
  it('collapses separators', () => {
    expect(slugify('  API -- gateway / 5xx  ')).toBe('api-gateway-5xx');
  });
});
