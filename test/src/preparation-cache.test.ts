import { describe, expect, it } from 'vitest';
import { PreparationCache } from '../../src/preparation-cache.js';

describe('PreparationCache', () => {
  it('makes each value once per kind and key, and keeps kinds apart', () => {
    const c = new PreparationCache();
    let made = 0;
    const make = (): object => ({ n: ++made });
    const a = c.get('file', ['a.npy'], make);
    expect(c.get('file', ['a.npy'], make)).toBe(a);
    expect(c.get('file', ['b.npy'], make)).not.toBe(a);
    expect(c.get('prepared', ['a.npy'], make)).not.toBe(a);
    expect(made).toBe(3);
    expect(c.sizes()).toEqual({ file: 2, prepared: 1 });
  });

  it('tells keys apart by value and type', () => {
    const c = new PreparationCache();
    expect(c.get('k', [1, 'coo'], () => 'x')).toBe('x');
    expect(c.get('k', [1, 'coo'], () => 'y')).toBe('x');
    expect(c.get('k', ['1', 'coo'], () => 'z')).toBe('z');
  });
});

describe('PreparationCache.idOf', () => {
  it('gives an object one id for its life and two objects two ids, whatever they hold', () => {
    const c = new PreparationCache();
    const a = { name: 'x' }, b = { name: 'x' };
    expect(c.idOf(a)).toBe(c.idOf(a));
    expect(c.idOf(a)).not.toBe(c.idOf(b));
  });
});
