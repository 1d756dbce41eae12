import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { DomainError } from '../errors/domain-error.js';
import { SecretBox, keyIdOf } from './secret-box.js';

describe(SecretBox.name, () => {
  const key = randomBytes(32);

  it('should round-trip and never contain the plaintext', () => {
    const box = new SecretBox(key);
    const sealed = box.seal('ghp_supersecret', 'server:1:env:TOKEN');
    expect(sealed).not.toContain('supersecret');
    expect(sealed.split('.')[1]).toBe(keyIdOf(key));
    expect(box.open(sealed, 'server:1:env:TOKEN')).toBe('ghp_supersecret');
  });

  it('should refuse a ciphertext moved to another row or field', () => {
    const box = new SecretBox(key);
    const sealed = box.seal('value', 'server:1:env:A');
    expect(() => box.open(sealed, 'server:2:env:A')).toThrow(DomainError);
  });

  it('should open old ciphertexts after rotation and flag them for re-sealing', () => {
    const old = new SecretBox(key).seal('value', 'ctx');
    const rotated = new SecretBox(randomBytes(32), [key]);
    expect(rotated.open(old, 'ctx')).toBe('value');
    expect(rotated.needsRotation(old)).toBe(true);
    expect(rotated.needsRotation(rotated.seal('v', 'ctx'))).toBe(false);
  });

  it('should refuse a ciphertext sealed with an unknown key', () => {
    const sealed = new SecretBox(randomBytes(32)).seal('value', 'ctx');
    expect(() => new SecretBox(key).open(sealed, 'ctx')).toThrow(/unknown key id/);
  });
});

describe(`${SecretBox.name} envelope`, () => {
  const master = randomBytes(32);

  it('should wrap a data key bound to its id: a wrapped key moved to another id fails', () => {
    const box = new SecretBox(master);
    const dataKey = randomBytes(32);
    const wrapped = box.wrap(dataKey);
    expect(wrapped).not.toContain(dataKey.toString('base64'));
    expect(box.unwrap(keyIdOf(dataKey), wrapped).equals(dataKey)).toBe(true);
    expect(() => box.unwrap('00000000', wrapped)).toThrow(DomainError);
  });

  it('should seal with the current data key and refuse a current key it was not given', () => {
    const box = new SecretBox(master);
    const dataKey = randomBytes(32);
    box.useDataKeys(new Map([[keyIdOf(dataKey), dataKey]]), keyIdOf(dataKey));
    expect(box.seal('v', 'ctx').split('.')[1]).toBe(keyIdOf(dataKey));
    expect(() => box.useDataKeys(new Map(), 'ffffffff')).toThrow(/not among the installed keys/);
  });
});
