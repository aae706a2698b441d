import { gzipSync } from 'node:zlib';

import { readTar, stripFirstComponent } from './tar';

/** A ustar header block (what npm pack and node-tar write), with a correct checksum. */
const header = (name: string, size: number, type = '0', prefix = '') => {
  const block = Buffer.alloc(512);
  block.write(name, 0, 100, 'utf8');
  block.write('0000644\0', 100);
  block.write('0000000\0', 108);
  block.write('0000000\0', 116);
  block.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  block.write('14544457420\0', 136);
  block.write(type, 156);
  block.write('ustar\0', 257);
  block.write('00', 263);
  block.write(prefix, 345, 155, 'utf8');
  block.fill(0x20, 148, 156);
  const sum = block.reduce((total, byte) => total + byte, 0);
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return block;
};
const body = (data: Buffer) => Buffer.concat([data, Buffer.alloc((512 - (data.length % 512)) % 512)]);
const file = (name: string, content: string, prefix = '') => {
  const data = Buffer.from(content);
  return Buffer.concat([header(name, data.length, '0', prefix), body(data)]);
};
const pax = (records: Record<string, string>) => {
  const text = Object.entries(records)
    .map(([key, value]) => {
      const line = ` ${key}=${value}\n`;
      let length = line.length + 2;
      length = `${length}${line}`.length;
      return `${length}${line}`;
    })
    .join('');
  return Buffer.concat([header('PaxHeader', Buffer.byteLength(text), 'x'), body(Buffer.from(text))]);
};
const end = Buffer.alloc(1024);

describe('readTar', () => {
  it('reads files and directories of a gzipped ustar archive', () => {
    const archive = gzipSync(
      Buffer.concat([
        header('package/', 0, '5'),
        file('package/package.json', '{"name":"connector-x"}'),
        file('package/lib/index.js', 'export default 1;\n'),
        end,
      ])
    );

    expect(readTar(archive).map(({ path, type, data }) => [path, type, data.toString()])).toEqual([
      ['package/', 'directory', ''],
      ['package/package.json', 'file', '{"name":"connector-x"}'],
      ['package/lib/index.js', 'file', 'export default 1;\n'],
    ]);
  });

  it('joins the ustar prefix, and takes a long path from a pax header', () => {
    const long = `package/${'deep/'.repeat(30)}file.txt`;
    const archive = Buffer.concat([
      file('index.js', 'a', 'package/lib'),
      pax({ path: long }),
      file('package/truncated-name', 'b'),
      end,
    ]);

    expect(readTar(archive).map(({ path }) => path)).toEqual(['package/lib/index.js', long]);
  });

  it('refuses a corrupt header', () => {
    const archive = Buffer.concat([file('package/a', 'a'), end]);
    archive[0] = 0x41;
    expect(() => readTar(archive)).toThrow('corrupt tarball: bad header checksum');
  });
});

describe('stripFirstComponent', () => {
  it.each([
    ['package/lib/index.js', 'lib/index.js'],
    ['package/package.json', 'package.json'],
    ['package/', undefined],
    ['package/./README.md', 'README.md'],
  ])('%s → %s', (input, expected) => {
    expect(stripFirstComponent(input)).toBe(expected);
  });

  it.each(['package/../../etc/passwd', '/etc/passwd', 'package/lib/../../x'])('refuses %s', (input) => {
    expect(() => stripFirstComponent(input)).toThrow('refusing a tarball entry outside the package');
  });
});
