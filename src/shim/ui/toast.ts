export function showToast(kind: 'success' | 'warning' | 'error' | 'info', message: string): void { console.info(kind, message); }
