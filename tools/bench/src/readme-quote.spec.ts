import { withQuotedFigures } from './readme-quote';

describe('withQuotedFigures', () => {
  it('replaces only the text between the markers', () => {
    const readme = 'intro\n<!-- bench:latest -->\nold figures\n<!-- /bench:latest -->\nrest\n';
    expect(withQuotedFigures(readme, '- new figures\n')).toBe(
      'intro\n<!-- bench:latest -->\n\n- new figures\n\n<!-- /bench:latest -->\nrest\n',
    );
  });

  it('leaves a README without both markers alone', () => {
    expect(withQuotedFigures('no markers', 'x')).toBeUndefined();
    expect(withQuotedFigures('<!-- /bench:latest --> <!-- bench:latest -->', 'x')).toBeUndefined();
  });
});
