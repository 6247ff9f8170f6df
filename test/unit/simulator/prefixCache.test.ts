import * as assert from 'node:assert/strict';
import { PrefixCache, sharedPrefixLength } from '../../support/simulator/prefixCache';
import { MEDIA_BASE_TOKENS, promptTokens, serializePrompt, textTokens } from '../../support/simulator/tokenEstimate';

function bytes(text: string): Buffer {
  return Buffer.from(text, 'utf8');
}

describe('tokenEstimate', () => {
  it('counts ceil(utf8 bytes / 4) per text', () => {
    assert.equal(textTokens(''), 0);
    assert.equal(textTokens('abcd'), 1);
    assert.equal(textTokens('abcde'), 2);
    assert.equal(textTokens('€'), 1); // 3 bytes
    assert.equal(textTokens('€€'), 2); // 6 bytes
  });

  it('serialises only prompt-relevant fields, in a fixed key order, tools first', () => {
    const a = serializePrompt([{ content: 'hi', role: 'user', extra: 1 }], [{ type: 'function', function: { name: 'abc' } }]);
    const b = serializePrompt([{ role: 'user', content: 'hi' }], [{ type: 'function', function: { name: 'abc' } }]);
    assert.deepEqual(a, b);
    assert.equal(
      a.toString('utf8'),
      '{"tools":[{"type":"function","function":{"name":"abc"}}]}\n{"role":"user","content":"hi"}\n',
    );
    assert.equal(promptTokens([{ role: 'user', content: 'hi' }]), Math.ceil(Buffer.byteLength('{"role":"user","content":"hi"}\n') / 4));
  });

  it('charges images by a size-dependent placeholder, identical for identical images', () => {
    const image = (data: string): unknown[] => [
      { role: 'user', content: [{ type: 'image_url', image_url: { url: `data:image/png;base64,${data}` } }] },
    ];
    const small = promptTokens(image('AAAA'));
    const big = promptTokens(image('A'.repeat(4 * 1024 * 1024)));
    assert.ok(small >= MEDIA_BASE_TOKENS && small < MEDIA_BASE_TOKENS + 50, `small image: ${small}`);
    assert.ok(big > small + 900 && big < 3000, `4 MB image: ${big}`);
    assert.deepEqual(serializePrompt(image('QUJD')), serializePrompt(image('QUJD')));
    assert.notDeepEqual(serializePrompt(image('QUJD')), serializePrompt(image('REVG')));
  });
});

describe('PrefixCache', () => {
  const stable = 'S'.repeat(4 * 1000); // 1000 tokens

  it('reports nothing for a first request', () => {
    const cache = new PrefixCache();
    assert.equal(cache.lookupAndRemember(bytes(stable)), 0);
  });

  it('treats an identical resend as a full hit, rounded down to 256-token chunks', () => {
    const cache = new PrefixCache();
    cache.remember(bytes(stable));
    assert.equal(cache.lookup(bytes(stable)), 768); // 1000 tokens -> 3 chunks
    const exact = 'E'.repeat(4 * 512);
    cache.remember(bytes(exact));
    assert.equal(cache.lookup(bytes(exact)), 512);
  });

  it('keeps the shared prefix cached when the prompt grows at the end', () => {
    const cache = new PrefixCache();
    let prompt = stable;
    cache.remember(bytes(prompt));
    for (const [suffix, expected] of [
      ['x'.repeat(100), 768],
      ['y'.repeat(4 * 300), 1024],
    ] as const) {
      prompt += suffix;
      assert.equal(cache.lookupAndRemember(bytes(prompt)), expected);
    }
  });

  it('caches only the chunks before a change in the middle', () => {
    const cache = new PrefixCache();
    const before = 'A'.repeat(4 * 600) + 'B'.repeat(4 * 600);
    const after = 'A'.repeat(4 * 600) + 'C' + 'B'.repeat(4 * 600 - 1);
    cache.remember(bytes(before));
    assert.equal(cache.lookup(bytes(after)), 512); // 600 shared tokens -> 2 chunks
  });

  it('rounds down to the chunk size and never exceeds the prompt', () => {
    const cache = new PrefixCache({ chunkTokens: 256 });
    cache.remember(bytes('Z'.repeat(4 * 255)));
    assert.equal(cache.lookup(bytes('Z'.repeat(4 * 255))), 0);
    assert.equal(cache.lookup(bytes('Z'.repeat(4 * 255) + 'tail')), 0);
    const fine = new PrefixCache({ chunkTokens: 1, eligibleOverTokens: 0 });
    fine.remember(bytes('abcdefghij'));
    assert.equal(fine.lookup(bytes('abcdefghij')), 3); // ceil(10 / 4)
    assert.equal(fine.lookup(bytes('abcdefghXX')), 2);
    assert.equal(fine.lookup(bytes('abcd')), 1);
  });

  it('remembers only prompts over 256 tokens: a request can hit only if the previous prompt was over 256 tokens', () => {
    const cache = new PrefixCache();
    const exactly256 = 'E'.repeat(4 * 256);
    cache.remember(bytes(exactly256));
    assert.equal(cache.size, 0);
    assert.equal(cache.lookup(bytes(exactly256 + 'more text')), 0);
    cache.remember(bytes(exactly256 + 'Ffff'));
    assert.equal(cache.size, 1);
    assert.equal(cache.lookup(bytes(exactly256 + 'Ffff' + 'more text')), 256);
  });

  it('matches only within a partition (model, effort), the default partition included', () => {
    const cache = new PrefixCache();
    cache.remember(bytes(stable), 'kimi-k3|low');
    assert.equal(cache.lookup(bytes(stable), 'kimi-k3|low'), 768);
    assert.equal(cache.lookup(bytes(stable), 'kimi-k3|high'), 0);
    assert.equal(cache.lookup(bytes(stable)), 0);
  });

  it('picks the longest shared prefix among remembered prompts', () => {
    const cache = new PrefixCache({ chunkTokens: 1, eligibleOverTokens: 0 });
    cache.remember(bytes('aaaa' + 'bbbb'));
    cache.remember(bytes('aaaa' + 'bbbb' + 'cccc' + 'dddd'));
    cache.remember(bytes('zzzz'));
    assert.equal(cache.lookup(bytes('aaaabbbbccccXXXX')), 3);
  });

  it('is bounded and forgets entries after the TTL', () => {
    let now = 0;
    const cache = new PrefixCache({ maxEntries: 2, ttlMs: 1000, chunkTokens: 1, eligibleOverTokens: 0, now: () => now });
    cache.remember(bytes('one.'));
    cache.remember(bytes('two.'));
    cache.remember(bytes('three'));
    assert.equal(cache.size, 2);
    assert.equal(cache.lookup(bytes('one.')), 0);
    assert.equal(cache.lookup(bytes('two.')), 1);
    now = 2000;
    assert.equal(cache.lookup(bytes('two.')), 0);
    assert.equal(cache.size, 0);
  });

  it('sharedPrefixLength compares across block boundaries', () => {
    const a = bytes('q'.repeat(5000));
    const b = bytes('q'.repeat(3000) + 'r' + 'q'.repeat(1999));
    assert.equal(sharedPrefixLength(a, b), 3000);
    assert.equal(sharedPrefixLength(a, a), 5000);
    assert.equal(sharedPrefixLength(a, bytes('')), 0);
  });
});
