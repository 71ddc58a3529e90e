// The live page estimate of a written draft (issue 21). The rule, stated in the UI and in
// docs/written-work.md: a page is `wordsPerPage` words (500 in the shipped templates:
// single-spaced 11 pt prose); a section is the text under its "## " heading, headings not
// counted; text before the first "## " counts towards the total only. Pure functions.

export interface SectionBudget {
  heading: string;
  budgetPages: number; // 0 = no budget (optional section)
  optional?: boolean;
}

export interface SectionEstimate {
  heading: string;
  words: number;
  pages: number;
  budgetPages: number;
  over: boolean; // past its budget
  known: boolean; // a section of the template
}

export interface Estimate {
  sections: SectionEstimate[];
  words: number;
  pages: number;
  maxPages: number;
  overMax: boolean;
  wordsPerPage: number;
}

export function countWords(text: string): number {
  const m = text.match(/[^\s#*_>`|-]+/g);
  return m ? m.length : 0;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

export function estimatePages(markdown: string, budgets: SectionBudget[], wordsPerPage: number, maxPages: number): Estimate {
  const wpp = wordsPerPage > 0 ? wordsPerPage : 500;
  const parts: { heading: string; body: string[] }[] = [{ heading: '', body: [] }];
  for (const line of markdown.split('\n')) {
    const m = /^##\s+(.*?)\s*#*\s*$/.exec(line);
    if (m && !line.startsWith('###')) parts.push({ heading: m[1]!, body: [] });
    else if (!/^#\s/.test(line)) parts[parts.length - 1]!.body.push(line);
  }
  let total = 0;
  const sections: SectionEstimate[] = [];
  for (const [i, p] of parts.entries()) {
    const words = countWords(p.body.join('\n'));
    total += words;
    if (i === 0) continue;
    const b = budgets.find((x) => x.heading.toLowerCase() === p.heading.toLowerCase());
    const pages = words / wpp;
    sections.push({ heading: p.heading, words, pages: round1(pages), budgetPages: b?.budgetPages ?? 0, over: !!b && b.budgetPages > 0 && pages > b.budgetPages + 0.05, known: !!b });
  }
  const pages = total / wpp;
  return { sections, words: total, pages: round1(pages), maxPages, overMax: pages > maxPages, wordsPerPage: wpp };
}
