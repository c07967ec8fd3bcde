// Object building on request paths. On Node 20 (V8 11), an object literal that starts with a
// spread and then adds properties — `{ ...a, b: 1 }`, `{ ...a, ...b }` — is slow once its
// function is optimised: every object it makes gets a hidden class of its own, allocated in the
// old generation (measured: 4.2 µs per object instead of 0.04 µs for the same fields written out;
// `{ b: 1, ...a }` 0.36 µs, `Object.assign({}, a, b)` 0.5 µs, each with a shared class). Those
// dead classes also keep young objects alive through scavenges, so the server's old space grew
// with every request (docs/benchmarks.md, "What the old generation filled with"). A lone `{ ...a }` is fine.
// So inside functions: name the properties first and spread last, or use `merged`. ESLint holds
// src to it (eslint.config.js); a literal whose first element is named is fine, spreads and all.

/** `{ ...first, ...second }`, with a hidden class shared by every call. */
export function merged<A extends object, B extends object>(first: A, second: B): A & B {
  return Object.assign({}, first, second);
}
