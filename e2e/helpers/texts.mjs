// The pages' visible texts, read from the Fluent files the server uses, so the journeys follow
// wording changes. Only single-line messages are read; placeables stay as written (`{ $x }`).

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const LOCALES = new URL('../../crates/ipyun-web/locales/', import.meta.url);

function load(lang) {
  const messages = new Map();
  const text = readFileSync(fileURLToPath(new URL(`${lang}.ftl`, LOCALES)), 'utf8');
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z][a-zA-Z0-9_-]*)\s*=\s*(.*)$/.exec(line);
    if (match && match[2].trim() !== '') messages.set(match[1], match[2].trim());
  }
  return messages;
}

function lookup(messages, lang) {
  return (key) => {
    const value = messages.get(key);
    if (value === undefined) throw new Error(`no single-line message '${key}' in ${lang}.ftl`);
    return value;
  };
}

/** `zh('login-title')` → `登录`. */
export const zh = lookup(load('zh-CN'), 'zh-CN');
/** `en('login-title')` → `Sign in`. */
export const en = lookup(load('en'), 'en');

/** Text as shown: Fluent's bidi isolation marks removed, white space collapsed. */
export function clean(text) {
  return (text ?? '').replace(/[\u2068\u2069]/g, '').replace(/\s+/g, ' ').trim();
}

/** The first whole number in a text, e.g. `共 3301 条` → 3301 (commas allowed: `3,301`). */
export function firstNumber(text) {
  const match = /\d[\d,]*/.exec(clean(text));
  if (!match) throw new Error(`no number in ${JSON.stringify(text)}`);
  return Number(match[0].replace(/,/g, ''));
}

/** Fen as the pages show yuan, exact: `123456789` → `1,234,567.89`. */
export function yuan(fen) {
  const value = BigInt(fen);
  const sign = value < 0n ? '-' : '';
  const magnitude = value < 0n ? -value : value;
  const whole = (magnitude / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const cents = (magnitude % 100n).toString().padStart(2, '0');
  return `${sign}${whole}.${cents}`;
}

/** Basis points as the pages show a percentage: `6250` → `62.50%`. */
export function percentOfBp(bp) {
  return `${Math.floor(bp / 100)}.${String(bp % 100).padStart(2, '0')}%`;
}
