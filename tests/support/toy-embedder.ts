import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EmbedderSettings } from '../../core/config.ts';

/**
 * A stand-in for an embedding service, on 127.0.0.1, speaking the JSON a Meilisearch `rest` embedder
 * is configured for: `{ "input": text }` in, `{ "embedding": [...] }` out. Its "model" is a few
 * concepts, each a list of words: a text's vector counts the words of each concept it contains, so
 * texts about the same concept point the same way without sharing a word. No model can be installed
 * here; this tests what the project does with one (settings, indexing, the query sent, the merge).
 */
export interface ToyEmbedder {
  /** The embedder setting that points Meilisearch at this server. */
  settings: EmbedderSettings;
  /** Every text it was asked to embed, in order. */
  inputs: string[];
  close(): Promise<void>;
}

export async function startToyEmbedder(
  concepts: readonly (readonly string[])[],
  options: {
    /** Texts the service refuses with a 400, as a real one refuses a text it cannot embed. */
    refuses?: (text: string) => boolean;
  } = {},
): Promise<ToyEmbedder> {
  const inputs: string[] = [];
  const embed = (text: string) => {
    const lower = text.toLowerCase();
    // A small constant keeps every vector non-zero (cosine similarity is undefined for zero).
    return concepts.map((words) => words.filter((word) => lower.includes(word)).length + 0.01);
  };
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const { input } = JSON.parse(body) as { input: string };
      inputs.push(input);
      response.setHeader('Content-Type', 'application/json');
      if (options.refuses?.(input)) {
        response.statusCode = 400;
        response.end(JSON.stringify({ error: 'this text cannot be embedded' }));
        return;
      }
      response.end(JSON.stringify({ embedding: embed(input) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    settings: {
      source: 'rest',
      url: `http://127.0.0.1:${port}/embed`,
      request: { input: '{{text}}' },
      response: { embedding: '{{embedding}}' },
    },
    inputs,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
