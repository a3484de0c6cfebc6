// MemoryBlob stands in for Node's Blob under postal-mime: it must hold the same bytes.
import { describe, expect, it } from 'vitest';
import { MemoryBlob } from '../../src/runtime/fast-blob.js';

const parts = [
  new TextEncoder().encode('Subject: x'),
  '\n',
  'é',
  '\n',
  'a line of text with ü and ✓\n',
  '',
  'x',
  '\u007f',
  new Uint8Array([0xff, 0x00, 0x0a]).buffer,
  new DataView(new Uint8Array([1, 2, 3, 4]).buffer, 1, 2),
  '\n',
];

describe('MemoryBlob', () => {
  it('holds the bytes Node\'s Blob holds for the same parts (one-character strings included)', async () => {
    const ours = new MemoryBlob(parts, { type: 'application/octet-stream' });
    const node = new Blob(parts, { type: 'application/octet-stream' });
    expect(ours.size).toBe(node.size);
    expect(new Uint8Array(await ours.arrayBuffer())).toEqual(new Uint8Array(await node.arrayBuffer()));
    expect(await ours.text()).toBe(await node.text());
    expect(ours.type).toBe('application/octet-stream');
  });

  it('gives each reader its own copy (a shared one-character buffer is never exposed)', async () => {
    const a = new MemoryBlob(['\n']);
    const bytes = new Uint8Array(await a.arrayBuffer());
    bytes[0] = 0x41;
    expect(await new MemoryBlob(['\n']).text()).toBe('\n');
    expect(await a.text()).toBe('\n');
  });
});
