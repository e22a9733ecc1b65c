import assert from 'node:assert/strict';
import { CaseResult } from '../../../bench/cases/caseResult';
import { renderChart } from '../../../bench/renderChart';

function result(id: string, lethe: number, baseline?: number): CaseResult {
  return {
    id,
    title: `case <${id}> & more`,
    unit: 's',
    lethe: { runs: [lethe], median: lethe, min: lethe },
    ...(baseline === undefined ? {} : { baseline: { runs: [baseline], median: baseline, min: baseline }, ratio: lethe / baseline }),
    goal: 'ratio <= 1.5',
    met: baseline === undefined ? undefined : lethe / baseline <= 1.5,
    figures: {},
  };
}

describe('renderChart', () => {
  it('draws lethe and its baseline for each case with a baseline, the longer bar spanning the width', () => {
    const svg = renderChart([result('slow', 12, 4), result('rate', 3), result('fast', 1, 2)], 'bench');
    const bars = [...svg.matchAll(/<rect x="\d+" y="\d+" width="([\d.]+)" height="16" fill="(#[0-9a-f]+)"\/>/g)].map((m) => [Number(m[1]), m[2]]);
    // Hand-computed: a 360-pixel bar for the larger side of each case, the other in proportion.
    assert.deepEqual(bars, [
      [360, '#c0392b'],
      [120, '#7f8c8d'],
      [180, '#c0392b'],
      [360, '#7f8c8d'],
    ]);
    assert.match(svg, /12\.0 s/);
    assert.match(svg, /ratio 3\.00, goal ratio &lt;= 1\.5 \(goal missed\)/);
    assert.match(svg, /ratio 0\.50, goal ratio &lt;= 1\.5 \(goal met\)/);
    assert.doesNotMatch(svg, /&lt;rate&gt;/);
    assert.doesNotMatch(svg, /case <|& more/);
    assert.match(svg, /case &lt;slow&gt; &amp; more/);
  });
});
