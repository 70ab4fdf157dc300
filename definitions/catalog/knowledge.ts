/**
 * A service's knowledge base (知识库) answering a citizen's question: the
 * active entry whose keywords the question contains most (ties: the entry's
 * order), or none when no keyword is in it — then an officer answers.
 */
import type { Row } from './tables.ts';

export interface KnowledgeAnswer {
  kbMatched: boolean;
  kbAnswer: string | null;
  kbQuestion: string | null;
}

export const keywordsOf = (entry: Row): string[] =>
  String(entry.keywords ?? '')
    .split(/[,，、\s]+/)
    .map((k) => k.trim().toLowerCase())
    .filter(Boolean);

export function answerFrom(entries: readonly Row[], question: string): KnowledgeAnswer {
  const asked = question.toLowerCase();
  let best: { entry: Row; score: number } | null = null;
  for (const entry of [...entries].filter((e) => e.status !== '0').sort((a, b) => a.order - b.order)) {
    const score = keywordsOf(entry).filter((k) => asked.includes(k)).length;
    if (score > 0 && (!best || score > best.score)) best = { entry, score };
  }
  return best ? { kbMatched: true, kbAnswer: best.entry.answer as string, kbQuestion: best.entry.question as string } : { kbMatched: false, kbAnswer: null, kbQuestion: null };
}
