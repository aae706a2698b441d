import { render } from './render';

describe('render', () => {
  it.each([
    ['Code: {{code}}', { code: '123456' }, 'Code: 123456'],
    ['Code: {{ code }}', { code: '123456' }, 'Code: 123456'],
    ['Code: {{code}}', {}, 'Code: {{code}}'],
    ['{{app.name}}', { app: {} }, ''],
    ['{{app.name}}', { app: { name: 'Acme' } }, 'Acme'],
    ['{{link}}', { link: 'https://x.test/a?b=1' }, 'https://x.test/a?b=1'],
    ['{{code}} {{code}}', { code: '42' }, '42 42'],
    ['{{code}}', { code: undefined }, ''],
  ])('renders %j with %j as %j (Logto semantics)', (template, payload, expected) => {
    expect(render(template, payload)).toBe(expected);
  });

  it.each(['$&', '$1', "$'", '$`', '$$', '{{code}}', '{{ link }}'])('inserts %j literally, in one pass', (value) => {
    expect(render('a {{code}} b', { code: value, link: 'nope' })).toBe(`a ${value} b`);
  });
});
