export function showOpenDialog(_options: unknown): Promise<{ canceled: boolean; filePaths: string[] }> { return Promise.resolve({ canceled: true, filePaths: [] }); }
