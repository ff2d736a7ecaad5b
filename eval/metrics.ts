/**
 * Ranking metrics over the first `k` results of one query, from graded judgments (2 = the answer,
 * 1 = also relevant; anything not judged counts as irrelevant).
 */

export type Judgments = Readonly<Record<string, number>>;

export interface QueryScores {
  /** 1/rank of the first answer (grade 2) in the first k results, else 0. */
  reciprocalRank: number;
  /** DCG of the results (gain 2^grade − 1, log2 discount) over the DCG of the ideal ranking. */
  ndcg: number;
  /** Share of the judged pages (any grade) found in the first k results. */
  recall: number;
  /** 1-based rank of the first answer, or null when it is not in the first k. */
  answerRank: number | null;
}

export const CUTOFF = 10;

/**
 * `ranked` may name a page twice (the same fiche relayed by two sources, when the index does not
 * deduplicate): a page counts once, at its first place, as a reader would see it.
 */
export function scoreQuery(ranked: readonly string[], judgments: Judgments, k = CUTOFF): QueryScores {
  const top = ranked.slice(0, k).map((id, index, all) => (all.indexOf(id) === index ? id : `${id} (again)`));
  const answerIndex = top.findIndex((id) => judgments[id] === 2);
  const gain = (grade: number) => 2 ** grade - 1;
  const dcg = (grades: readonly number[]) =>
    grades.reduce((sum, grade, index) => sum + gain(grade) / Math.log2(index + 2), 0);
  const ideal = dcg(
    Object.values(judgments)
      .filter((grade) => grade > 0)
      .sort((left, right) => right - left)
      .slice(0, k),
  );
  const relevant = Object.keys(judgments).filter((id) => (judgments[id] ?? 0) > 0);
  const found = new Set(top.filter((id) => (judgments[id] ?? 0) > 0));
  return {
    reciprocalRank: answerIndex === -1 ? 0 : 1 / (answerIndex + 1),
    ndcg: ideal === 0 ? 0 : dcg(top.map((id) => judgments[id] ?? 0)) / ideal,
    recall: relevant.length === 0 ? 0 : found.size / relevant.length,
    answerRank: answerIndex === -1 ? null : answerIndex + 1,
  };
}

export interface MeanScores {
  queries: number;
  mrr: number;
  ndcg: number;
  recall: number;
  /** Share of queries whose answer is in the first 3 results. */
  successAt3: number;
}

export function meanScores(scores: readonly QueryScores[]): MeanScores {
  const mean = (pick: (score: QueryScores) => number) =>
    scores.length === 0 ? 0 : scores.reduce((sum, score) => sum + pick(score), 0) / scores.length;
  return {
    queries: scores.length,
    mrr: mean((score) => score.reciprocalRank),
    ndcg: mean((score) => score.ndcg),
    recall: mean((score) => score.recall),
    successAt3: mean((score) => (score.answerRank !== null && score.answerRank <= 3 ? 1 : 0)),
  };
}
