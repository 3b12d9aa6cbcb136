import { field } from '$lib/server/form-data';

export interface CandidateRow {
  key: string;
  label: string;
}

/**
 * The candidates: from the key/label rows the enhanced form posts, or else from the plain
 * textarea, one "key: label" per line (a line without a colon uses its words as both).
 */
export function candidates(form: FormData): CandidateRow[] {
  const keys = form.getAll('optionKey');
  if (keys.length > 0) {
    const labels = form.getAll('optionLabel');
    return keys
      .map((key, i) => ({ key: String(key).trim(), label: String(labels[i] ?? '').trim() }))
      .filter((row) => row.key !== '' || row.label !== '');
  }
  return field(form, 'options', { trim: false })
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => {
      const colon = line.search(/[:：]/);
      if (colon < 0) return { key: slugKey(line), label: line };
      return { key: line.slice(0, colon).trim(), label: line.slice(colon + 1).trim() };
    });
}

function slugKey(label: string): string {
  return label
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 32);
}
