/**
 * A tiny DOM-free SVG/XML well-formedness check: one root `<svg>`, every start tag closed in order,
 * attributes quoted. Returns the problem or `null`.
 */
export function checkSvg(svg: string): string | null {
  if (!svg.startsWith('<svg')) return `does not start with <svg: ${svg.slice(0, 20)}`;
  const stack: string[] = [];
  const tagRe = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>/g;
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = tagRe.exec(svg)) !== null) {
    const between = svg.slice(last, m.index);
    if (between.includes('<')) return `malformed tag near offset ${last}: ${between.slice(between.indexOf('<'), between.indexOf('<') + 40)}`;
    last = tagRe.lastIndex;
    if (m[2] === undefined) continue; // comment / CDATA
    const [, close, name, , self] = m;
    if (close) {
      const open = stack.pop();
      if (open !== name) return `</${name}> closes <${open ?? 'nothing'}>`;
      if (stack.length === 0 && svg.slice(last).trim() !== '') return 'content after the root element';
    } else if (!self) {
      stack.push(name!);
    } else if (stack.length === 0) {
      return 'self-closing root';
    }
  }
  if (svg.slice(last).includes('<')) return 'malformed trailing tag';
  return stack.length === 0 ? null : `unclosed <${stack.join('> <')}>`;
}
