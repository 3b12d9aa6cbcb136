import {
  decodeCall,
  decodeResponse,
  encodeCall,
  encodeResponse,
  kwargs,
  XmlRpcFault,
  XmlRpcParseError,
} from './xmlrpc';

describe('the XML-RPC codec Koji is spoken with', () => {
  it('reads a response as Python’s xmlrpc server writes it, white space and all', () => {
    const xml = `<?xml version='1.0'?>
<methodResponse>
<params>
<param>
<value><array><data>
<value><struct>
<member>
<name>build_id</name>
<value><int>5001</int></value>
</member>
<member>
<name>nvr</name>
<value><string>openssl-3.0.12-5.oc9 &amp; co</string></value>
</member>
<member>
<name>epoch</name>
<value><nil/></value></member>
<member>
<name>creation_ts</name>
<value><double>1764000060.25</double></value>
</member>
<member>
<name>big</name>
<value><i8>9007199254740</i8></value>
</member>
<member>
<name>ok</name>
<value><boolean>1</boolean></value>
</member>
<member>
<name>when</name>
<value><dateTime.iso8601>20261127T03:04:05</dateTime.iso8601></value>
</member>
<member>
<name>blob</name>
<value><base64>aGVsbG8=</base64></value>
</member>
<member>
<name>bare</name>
<value>untyped</value>
</member>
</struct></value>
</data></array></value>
</param>
</params>
</methodResponse>
`;
    expect(decodeResponse(xml)).toEqual([
      {
        build_id: 5001,
        nvr: 'openssl-3.0.12-5.oc9 & co',
        epoch: null,
        creation_ts: 1764000060.25,
        big: 9007199254740,
        ok: true,
        when: new Date(Date.UTC(2026, 10, 27, 3, 4, 5)),
        blob: 'hello',
        bare: 'untyped',
      },
    ]);
  });

  it('turns a fault into an XmlRpcFault and refuses broken XML', () => {
    const fault = `<?xml version='1.0'?><methodResponse><fault><value><struct><member><name>faultCode</name><value><int>1000</int></value></member><member><name>faultString</name><value><string>No such build</string></value></member></struct></value></fault></methodResponse>`;
    expect(() => decodeResponse(fault)).toThrow(XmlRpcFault);
    expect(() => decodeResponse(fault)).toThrow('No such build');
    expect(() => decodeResponse('<methodResponse><params><param><value><int>1</int></value>')).toThrow(
      XmlRpcParseError,
    );
    expect(() => decodeResponse('<html>Bad gateway</html>')).toThrow(XmlRpcParseError);
    expect(() => decodeResponse(encodeResponse(1).replace('<int>1</int>', '<int>x</int>'))).toThrow(XmlRpcParseError);
  });

  it('writes calls with Koji’s keyword-argument struct, and reads them back', () => {
    const xml = encodeCall('listBuilds', [kwargs({ createdAfter: 1.5, queryOpts: { limit: 2 } })]);
    expect(xml).toBe(
      '<?xml version="1.0"?>\n<methodCall><methodName>listBuilds</methodName><params><param><value><struct>' +
        '<member><name>createdAfter</name><value><double>1.5</double></value></member>' +
        '<member><name>queryOpts</name><value><struct><member><name>limit</name><value><int>2</int></value></member></struct></value></member>' +
        '<member><name>__starstar</name><value><boolean>1</boolean></value></member>' +
        '</struct></value></param></params></methodCall>',
    );
    expect(decodeCall(xml)).toEqual({
      method: 'listBuilds',
      params: [{ createdAfter: 1.5, queryOpts: { limit: 2 }, __starstar: true }],
    });
    expect(decodeCall(encodeCall('getBuild', ['a<b', null, [1, false]])).params).toEqual(['a<b', null, [1, false]]);
  });
});
