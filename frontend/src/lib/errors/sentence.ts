/**
 * An error as the page shows it: one sentence a person reads, and the technical detail
 * (the chain of Go errors, the resolver's words) kept for a details line.
 *
 * The backend's convention (backend/service/sentence_error.go): the first line of the message
 * is the sentence, the lines after it are the detail. A message of one line is all sentence.
 */
export interface ErrorSentence {
  sentence: string;
  detail: string;
}

export function splitError(message: string): ErrorSentence {
  const text = message.trim();
  const cut = text.indexOf('\n');
  if (cut < 0) return { sentence: text, detail: '' };
  return { sentence: text.slice(0, cut).trim(), detail: text.slice(cut + 1).trim() };
}
