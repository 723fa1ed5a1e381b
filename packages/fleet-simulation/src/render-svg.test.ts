import { describe, expect, it } from 'vitest';
import { renderSvg } from './render-svg.ts';
import { runSimulation } from './run-simulation.ts';

/**
 * A strict XML well-formedness check, enough for what renderSvg writes: elements nest and close,
 * attributes are quoted, text and attribute values hold no raw `<` and only known entities.
 */
function wellFormedErrors(xml: string): string[] {
  const errors: string[] = [];
  const stack: string[] = [];
  const token = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/y;
  const badAmpersand = /&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[\da-fA-F]+);)/;
  let at = 0;
  while (at < xml.length) {
    token.lastIndex = at;
    const m = token.exec(xml);
    if (!m) {
      errors.push(`unexpected markup at ${at}: ${xml.slice(at, at + 40)}`);
      break;
    }
    at = token.lastIndex;
    const [, closing, name, attributes, selfClosing, text] = m;
    if (text !== undefined) {
      if (badAmpersand.test(text)) errors.push(`raw & in text: ${text.slice(0, 40)}`);
      if (stack.length === 0 && text.trim() !== '') errors.push('text outside the root element');
      continue;
    }
    if (attributes && badAmpersand.test(attributes)) errors.push(`raw & in attributes of <${name}>`);
    if (closing) {
      const open = stack.pop();
      if (open !== name) errors.push(`</${name}> closes <${open}>`);
    } else if (!selfClosing) {
      if (stack.length === 0 && at > m[0].length && name !== 'svg') errors.push(`second root <${name}>`);
      stack.push(name as string);
    }
  }
  if (stack.length > 0) errors.push(`unclosed: ${stack.join(' > ')}`);
  return errors;
}

describe('renderSvg', () => {
  const report = runSimulation({ installs: 300, hours: 24, seed: 4 });

  it('writes a well-formed, self-contained SVG document', () => {
    const svg = renderSvg(report);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(wellFormedErrors(svg)).toEqual([]);
    expect(svg).not.toMatch(/NaN|undefined|Infinity/);
  });

  it('draws one panel per strategy, with one area per outcome', () => {
    const svg = renderSvg(report);
    expect(svg.match(/<g class="panel">/g)).toHaveLength(report.strategies.length);
    expect(svg.match(/<polygon /g)).toHaveLength(report.strategies.length * 4);
  });

  it('escapes labels', () => {
    const tricky = runSimulation({
      installs: 20,
      hours: 2,
      switchAtHour: 1,
      rateLimitEpisode: null,
      strategies: [{ kind: 'user-design', label: `<b> & "quotes" 'too'` }],
    });
    const svg = renderSvg(tricky);
    expect(wellFormedErrors(svg)).toEqual([]);
    expect(svg).toContain('&lt;b&gt; &amp; &quot;quotes&quot; &apos;too&apos;');
  });

  it('the checker itself catches broken markup', () => {
    expect(wellFormedErrors('<svg><g></svg>')).not.toEqual([]);
    expect(wellFormedErrors('<svg><text>a & b</text></svg>')).not.toEqual([]);
    expect(wellFormedErrors('<svg><rect x=1/></svg>')).not.toEqual([]);
  });
});
