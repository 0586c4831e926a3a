/** The prose of docs/benchmarks.md around the generated table (bench/main.ts writes the file). */
export const DOC_HEAD = `# Benchmarks
`;
export const DOC_TAIL = ``;
