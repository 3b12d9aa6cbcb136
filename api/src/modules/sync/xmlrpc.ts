/**
 * A small XML-RPC codec: what Koji's hub speaks (int/i4/i8, double, boolean, string, nil,
 * dateTime.iso8601, base64, array, struct; faults). Both directions, so the fake hub in tests
 * uses it too; the spec pins it to literal XML as Koji sends it.
 */

export type XmlRpcValue = null | boolean | number | string | Date | XmlRpcValue[] | { [key: string]: XmlRpcValue };

export class XmlRpcFault extends Error {
  constructor(
    readonly faultCode: number,
    readonly faultString: string,
  ) {
    super(`XML-RPC fault ${faultCode}: ${faultString}`);
    this.name = 'XmlRpcFault';
  }
}

export class XmlRpcParseError extends Error {}

const escape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const unescape = (s: string): string =>
  s.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_, e: string) =>
    e.startsWith('#x')
      ? String.fromCodePoint(parseInt(e.slice(2), 16))
      : e.startsWith('#')
        ? String.fromCodePoint(Number(e.slice(1)))
        : ENTITIES[e],
  );

export function encodeValue(v: XmlRpcValue): string {
  if (v === null) return '<value><nil/></value>';
  if (typeof v === 'boolean') return `<value><boolean>${v ? 1 : 0}</boolean></value>`;
  if (typeof v === 'number') {
    if (Number.isInteger(v))
      return Math.abs(v) > 2_147_483_647 ? `<value><i8>${v}</i8></value>` : `<value><int>${v}</int></value>`;
    return `<value><double>${v}</double></value>`;
  }
  if (typeof v === 'string') return `<value><string>${escape(v)}</string></value>`;
  if (v instanceof Date) {
    const iso = v
      .toISOString()
      .replace(/\.\d{3}Z$/, '')
      .replace(/[-]/g, '');
    return `<value><dateTime.iso8601>${iso}</dateTime.iso8601></value>`;
  }
  if (Array.isArray(v)) return `<value><array><data>${v.map(encodeValue).join('')}</data></array></value>`;
  const members = Object.entries(v)
    .map(([k, x]) => `<member><name>${escape(k)}</name>${encodeValue(x)}</member>`)
    .join('');
  return `<value><struct>${members}</struct></value>`;
}

export function encodeCall(method: string, params: XmlRpcValue[]): string {
  return `<?xml version="1.0"?>\n<methodCall><methodName>${escape(method)}</methodName><params>${params
    .map((p) => `<param>${encodeValue(p)}</param>`)
    .join('')}</params></methodCall>`;
}

export function encodeResponse(value: XmlRpcValue): string {
  return `<?xml version="1.0"?>\n<methodResponse><params><param>${encodeValue(value)}</param></params></methodResponse>`;
}

export function encodeFault(code: number, message: string): string {
  return `<?xml version="1.0"?>\n<methodResponse><fault>${encodeValue({ faultCode: code, faultString: message })}</fault></methodResponse>`;
}

// ------------------------------------------------------------------ decoding

interface Node {
  name: string;
  children: Node[];
  text: string;
}

/** Parses the element tree (no attributes, comments, CDATA or DTDs are needed for XML-RPC). */
function parseXml(xml: string): Node {
  const body = xml.replace(/^\uFEFF/, '').replace(/<\?xml[^>]*\?>/, '');
  const root: Node = { name: '#root', children: [], text: '' };
  const stack: Node[] = [root];
  const re = /<(\/?)([A-Za-z_][\w.:-]*)[^>]*?(\/?)>|([^<]+)/g;
  let m: RegExpExecArray | null;
  let consumed = 0;
  while ((m = re.exec(body)) !== null) {
    if (m.index !== consumed) throw new XmlRpcParseError('malformed XML');
    consumed = re.lastIndex;
    const top = stack[stack.length - 1];
    if (m[4] !== undefined) {
      top.text += unescape(m[4]);
    } else if (m[1]) {
      if (top.name !== m[2]) throw new XmlRpcParseError(`unexpected </${m[2]}>`);
      stack.pop();
    } else {
      const node: Node = { name: m[2], children: [], text: '' };
      top.children.push(node);
      if (!m[3]) stack.push(node);
    }
  }
  if (consumed !== body.length || stack.length !== 1) throw new XmlRpcParseError('truncated XML');
  return root;
}

const only = (n: Node, name: string): Node => {
  const c = n.children.find((x) => x.name === name);
  if (!c) throw new XmlRpcParseError(`<${n.name}> has no <${name}>`);
  return c;
};

export function decodeValue(node: Node): XmlRpcValue {
  const typed = node.children[0];
  if (!typed) return node.text; // <value>text</value> is a string
  switch (typed.name) {
    case 'nil':
      return null;
    case 'boolean':
      return typed.text.trim() === '1';
    case 'int':
    case 'i4':
    case 'i8': {
      const n = Number(typed.text.trim());
      if (!Number.isInteger(n)) throw new XmlRpcParseError(`bad integer "${typed.text}"`);
      return n;
    }
    case 'double': {
      const n = Number(typed.text.trim());
      if (!Number.isFinite(n)) throw new XmlRpcParseError(`bad double "${typed.text}"`);
      return n;
    }
    case 'string':
      return typed.text;
    case 'base64':
      return Buffer.from(typed.text.trim(), 'base64').toString('utf8');
    case 'dateTime.iso8601': {
      const t = typed.text.trim();
      const m = /^(\d{4})-?(\d{2})-?(\d{2})T(\d{2}):(\d{2}):(\d{2})/.exec(t);
      if (!m) throw new XmlRpcParseError(`bad dateTime "${t}"`);
      return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
    }
    case 'array':
      return only(typed, 'data')
        .children.filter((c) => c.name === 'value')
        .map(decodeValue);
    case 'struct': {
      const out: Record<string, XmlRpcValue> = {};
      for (const member of typed.children.filter((c) => c.name === 'member'))
        out[only(member, 'name').text] = decodeValue(only(member, 'value'));
      return out;
    }
    default:
      throw new XmlRpcParseError(`unknown XML-RPC type <${typed.name}>`);
  }
}

/** A methodResponse: its value, or an XmlRpcFault thrown. */
export function decodeResponse(xml: string): XmlRpcValue {
  const response = only(parseXml(xml), 'methodResponse');
  const fault = response.children.find((c) => c.name === 'fault');
  if (fault) {
    const f = decodeValue(only(fault, 'value')) as Record<string, XmlRpcValue> | null;
    const code = f?.faultCode;
    const text = f?.faultString;
    throw new XmlRpcFault(typeof code === 'number' ? code : 0, typeof text === 'string' ? text : '');
  }
  return decodeValue(only(only(only(response, 'params'), 'param'), 'value'));
}

export function decodeCall(xml: string): { method: string; params: XmlRpcValue[] } {
  const call = only(parseXml(xml), 'methodCall');
  const params = call.children.find((c) => c.name === 'params');
  return {
    method: only(call, 'methodName').text.trim(),
    params: (params?.children ?? []).filter((p) => p.name === 'param').map((p) => decodeValue(only(p, 'value'))),
  };
}

/** Koji's convention for keyword arguments: a trailing struct flagged `__starstar`. */
export const kwargs = (o: Record<string, XmlRpcValue>): Record<string, XmlRpcValue> => ({ ...o, __starstar: true });
