import { Templar } from './templar';
test('smoke', () => {
  const t = new Templar({ n: 5, s: 'abc', d: { a: 1 }, l: [1, 'a'], lazy: '{{ n * 2 }}', rec: '{{ rec }}' }, {});
  const out: string[] = [];
  for (const x of ['{{ n }}', '{{ 4/2 }}', '{{ [1,2] }}', 'x{{ n }}', "{{ 'True' }}", '{{ 1, 2 }}', '{{ lazy }}', "{{ '%05.1f|%s' % (3.14159, 'x') }}", '{% for i in l %}{{ loop.index }}{% endfor %}\n', '{{ d.items() }}', "{{ 'a,b'.split(',') }}", '{{ rec }}', '{{ nope }}', '{{ d.x.y }}', '{{ n + s }}', '{{ foo bar }}', '{{ x | nosuch }}']) {
    try { out.push(JSON.stringify(x) + ' => ' + JSON.stringify(t.template(x))); } catch (e) { out.push(x + ' ERR ' + (e as Error).message); }
  }
  console.log(out.join('\n'));
});
