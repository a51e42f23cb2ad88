import { useEffect, useState } from 'react';

/** The theme choice: follow the system (`prefers-color-scheme`), or force light or dark. */
export type ThemeChoice = 'system' | 'light' | 'dark';

const KEY = 'tocsin.theme';

function stored(): ThemeChoice {
  const value = localStorage.getItem(KEY);
  return value === 'light' || value === 'dark' ? value : 'system';
}

/** Applies a choice to <html data-theme> (the stylesheet reads it; `system` leaves the media query in charge). */
export function applyTheme(choice: ThemeChoice): void {
  if (choice === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = choice;
}

/** The current choice and a setter that remembers it on this device. */
export function useTheme(): [ThemeChoice, (choice: ThemeChoice) => void] {
  const [choice, setChoice] = useState<ThemeChoice>(stored);
  useEffect(() => applyTheme(choice), [choice]);
  return [
    choice,
    (next) => {
      if (next === 'system') localStorage.removeItem(KEY);
      else localStorage.setItem(KEY, next);
      setChoice(next);
    },
  ];
}
