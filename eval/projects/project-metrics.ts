/**
 * Metrics for queries with many relevant rows (every city stade of four years): precision of the
 * first 10, nDCG of the first 10 (gain 2^grade − 1), and recall of the first 100.
 */
export interface ProjectScores {
  precision: number;
  ndcg: number;
  recall: number;
}

export function scoreProjectQuery(
  ranked: readonly string[],
  judgments: Readonly<Record<string, number>>,
): ProjectScores {
  const top10 = ranked.slice(0, 10);
  const gain = (grade: number) => 2 ** grade - 1;
  const dcg = (grades: readonly number[]) =>
    grades.reduce((sum, grade, index) => sum + gain(grade) / Math.log2(index + 2), 0);
  const grades = Object.values(judgments).filter((grade) => grade > 0);
  const ideal = dcg([...grades].sort((left, right) => right - left).slice(0, 10));
  const relevant = (id: string) => (judgments[id] ?? 0) > 0;
  return {
    // Out of 10 whatever the number of results: an empty page is not a precise one.
    precision: top10.filter(relevant).length / 10,
    ndcg: ideal === 0 ? 0 : dcg(top10.map((id) => judgments[id] ?? 0)) / ideal,
    recall: grades.length === 0 ? 0 : new Set(ranked.slice(0, 100).filter(relevant)).size / grades.length,
  };
}

export function meanProjectScores(scores: readonly ProjectScores[]): ProjectScores {
  const mean = (pick: (score: ProjectScores) => number) =>
    scores.length === 0 ? 0 : scores.reduce((sum, score) => sum + pick(score), 0) / scores.length;
  return { precision: mean((s) => s.precision), ndcg: mean((s) => s.ndcg), recall: mean((s) => s.recall) };
}
