/** HTML that is already escaped. Only `html` and `rawHtml` make one, so text can never reach a page unescaped. */
export interface SafeHtml {
  readonly __html: string;
}

type Part = SafeHtml | string | number | boolean | undefined | null | readonly Part[];

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function render(part: Part): string {
  if (part === undefined || part === null || part === false) return '';
  if (Array.isArray(part)) return part.map(render).join('');
  if (typeof part === 'object' && '__html' in part) return part.__html;
  return escapeHtml(String(part));
}

/** Tagged template: every interpolated value is escaped unless it is SafeHtml; arrays are joined. */
export function html(strings: TemplateStringsArray, ...values: Part[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return { __html: out };
}

/** For markup built by trusted code (a static asset, a value already escaped). */
export function rawHtml(markup: string): SafeHtml {
  return { __html: markup };
}
