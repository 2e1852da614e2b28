/**
 * Unit strings in configs (`"0.3 fJ"`, `"200 MHz"`, `"0.9 V"`, `"1 uW"`), converted once at the config
 * boundary with mathjs units.
 *
 * mathjs costs ~0.6–0.8 s to load (measured here: `node -e "import('mathjs')"` 0.84 s wall), which
 * would dominate CLI start-up. It is therefore loaded lazily, synchronously via `createRequire` of its
 * CommonJS build, and only when a config actually contains a unit string; plain numbers never load it.
 */
import { createRequire } from 'node:module';

/** The unit each unit-carrying field is stored in. */
export type TargetUnit = 'fJ' | 'MHz' | 'V' | 'uW';

/** A unit of the same dimension as each target, used to check the dimension of user input. */
const DIMENSION_PROBE: Readonly<Record<TargetUnit, string>> = { fJ: '1 J', MHz: '1 Hz', V: '1 V', uW: '1 W' };

interface MathUnit {
  equalBase(other: MathUnit): boolean;
  toNumber(unit: string): number;
}
interface MathJsUnits {
  unit(text: string): MathUnit;
}

let mathjs: MathJsUnits | undefined;

function loadMathJs(): MathJsUnits {
  if (mathjs === undefined) {
    const require = createRequire(import.meta.url);
    mathjs = require('mathjs') as MathJsUnits;
  }
  return mathjs;
}

/** A plain decimal number written as a string (`"256"`, `"0.9"`, `"1e3"`): no mathjs needed. */
const PLAIN_NUMBER = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;

/**
 * Convert `text` to a number in `target` units. Plain numeric strings are taken as already in the
 * target unit. Returns a string describing the problem instead of throwing, so that the config
 * validator can collect every problem at once.
 *
 * @example toUnitNumber('0.3 pJ', 'fJ') // 300
 * @example toUnitNumber('1.2 GHz', 'MHz') // 1200
 */
export function toUnitNumber(text: string, target: TargetUnit): number | { problem: string } {
  if (PLAIN_NUMBER.test(text)) return Number(text);
  const m = loadMathJs();
  let u: MathUnit;
  try {
    // mathjs spells micro as `u`; accept the micro sign (U+00B5) and the Greek mu (U+03BC) too.
    u = m.unit(text.replace(/[\u00b5\u03bc]/g, 'u'));
  } catch (e) {
    return { problem: `cannot read '${text}' as a quantity in ${target} (${(e as Error).message})` };
  }
  if (!u.equalBase(m.unit(DIMENSION_PROBE[target]))) {
    return { problem: `'${text}' is not convertible to ${target}` };
  }
  return u.toNumber(target);
}
