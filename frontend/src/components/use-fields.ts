"use client";
// Form state that never lies: a field is judged once it has been touched — left with something
// typed in it, or submitted — and from then on at every keystroke, so a message disappears the
// moment the value is fixed. Leaving a field does not show its message by itself: that would move
// the layout under a pointer on its way to the submit button and swallow the click. An error from
// the server stays on its field until that field changes. `firstInvalid` names the field to focus
// after a refused submit.
import { useState, type ChangeEvent } from "react";

export type Errors<K extends string> = Partial<Record<K | "form", string>>;

export function useFields<K extends string>(initial: Record<K, string>, validate: (values: Record<K, string>) => Partial<Record<K, string>>) {
  const [values, setValues] = useState(initial);
  // visited: left with a value; judged: its message is shown (visited and changed since, or submitted).
  const [visited, setVisited] = useState<Partial<Record<K, boolean>>>({});
  const [touched, setTouched] = useState<Partial<Record<K, boolean>>>({});
  const [server, setServer] = useState<Errors<K>>({});
  const keys = Object.keys(initial) as K[];
  const local = validate(values);

  const errors = { form: server.form } as Errors<K>;
  for (const k of keys) errors[k] = (touched[k] ? local[k] : undefined) ?? server[k];

  return {
    values,
    errors,
    set(key: K, value: string) {
      setValues((v) => ({ ...v, [key]: value }));
      setServer((s) => ({ ...s, [key]: undefined, form: undefined }));
      if (visited[key]) setTouched((t) => ({ ...t, [key]: true }));
    },
    /** Props for an input: its value, and the change and blur handlers that track "touched". */
    bind(key: K) {
      return {
        value: values[key],
        onChange: (e: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => {
          const value = e.target.value;
          setValues((v) => ({ ...v, [key]: value }));
          setServer((s) => ({ ...s, [key]: undefined }));
          if (visited[key]) setTouched((t) => ({ ...t, [key]: true }));
        },
        onBlur: () => {
          if (values[key] !== "") setVisited((t) => ({ ...t, [key]: true }));
        },
      };
    },
    /** Marks every field touched and returns the local errors (empty = the form may be sent). */
    submit(): Partial<Record<K, string>> {
      setTouched(Object.fromEntries(keys.map((k) => [k, true])) as Record<K, boolean>);
      setServer({});
      return local;
    },
    setServerErrors: setServer,
    reset(next: Record<K, string> = initial) {
      setValues(next);
      setVisited({});
      setTouched({});
      setServer({});
    },
    /** The first field (in form order) with an error, to move focus to. */
    firstInvalid(errs: Partial<Record<K | "form", string>>): K | "form" | undefined {
      return keys.find((k) => errs[k]) ?? (errs.form ? "form" : undefined);
    },
  };
}

/**
 * Moves focus to an element by id once React has rendered it (an error that is only now appearing):
 * tried after the current task and then every 20 ms for up to half a second. Timers, not animation
 * frames: a tab in the background gets no frames, and its user still needs focus where they return.
 */
export function focusById(id: string | undefined) {
  if (!id) return;
  let tries = 0;
  const attempt = () => {
    const el = document.getElementById(id);
    if (el) el.focus();
    else if (++tries < 25) setTimeout(attempt, 20);
  };
  setTimeout(attempt, 0);
}
