import { useEffect, useState } from 'react';
import { ddClient } from './client.js';

interface Item {
  id: number;
  name: string;
  done?: boolean;
}

/** A ServiceError (`{name, message, statusCode}`) or any other rejection, as the page shows it. */
interface Failure {
  message: string;
  statusCode?: number;
}

const font = { fontFamily: 'system-ui, sans-serif' };

/** The extension's item list, from its backend's `GET /items`. */
export function ItemList() {
  const [items, setItems] = useState<Item[]>();
  const [error, setError] = useState<Failure>();
  useEffect(() => {
    ddClient.extension.vm?.service?.get('/items').then(
      (body) => setItems(body as Item[]),
      (e: Failure) => setError({ message: e.message, ...(typeof e.statusCode === 'number' ? { statusCode: e.statusCode } : {}) }),
    );
  }, []);

  if (error) {
    return (
      <div role="alert" data-status="error" style={{ ...font, border: '1px solid #c62828', color: '#c62828', padding: 12, borderRadius: 4 }}>
        <strong>Could not load the items{error.statusCode === undefined ? '' : ` (status ${error.statusCode})`}</strong>
        <pre data-testid="error-message" style={{ whiteSpace: 'pre-wrap', margin: '8px 0 0' }}>
          {error.message}
        </pre>
      </div>
    );
  }
  if (!items) return <p data-status="loading" style={font}>Loading…</p>;
  return (
    <ul data-status="ok" style={font}>
      {items.map((item) => (
        <li key={item.id}>
          {item.done ? '✔ ' : '○ '}
          {item.name}
        </li>
      ))}
    </ul>
  );
}
