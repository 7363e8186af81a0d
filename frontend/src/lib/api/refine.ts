// How the api module narrows a type Wails generates from a Go struct (wailsjs/go/models.ts)
// without restating it. Wails writes every Go string as `string` and every pointer as an
// optional field; the page knows more (a row's kind is one of four words, a nil *float64
// arrives as null). Refine keeps the generated fields and replaces only the named ones, and
// refuses a replacement for a field the Go struct no longer has or of an unrelated type, so
// a renamed or retyped Go field breaks `npm run check` instead of reaching the page as
// undefined.

/** What a generated type may be narrowed to: every field still there, each a subset of its
 *  values, null where Go sends null for a nil pointer or slice, objects refined the same way. */
export type Loose<T> = T extends readonly (infer E)[]
  ? Loose<E>[] | null
  : T extends object
    ? { [K in keyof T]-?: Loose<T[K]> | null }
    : T | null | undefined;

/** R names only fields of G, each narrowed (Loose) from G's type. */
export type Narrowing<G, R> = {
  [K in keyof R]: K extends keyof G ? (R[K] extends Loose<G[K]> ? R[K] : never) : never;
};

/** G with the fields named in R replaced by R's narrower types (one flat object type). */
export type Refine<G, R extends Narrowing<G, R>> = { [K in keyof (Omit<G, keyof R> & R)]: (Omit<G, keyof R> & R)[K] };
