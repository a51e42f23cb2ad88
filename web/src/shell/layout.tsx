import { Suspense } from 'react';
import { NavLink, Outlet } from 'react-router-dom';
import { useSession, useUser } from '../api/session.js';
import { Loading } from '../components/status.js';
import { navItems } from './nav-items.js';
import { useTheme, type ThemeChoice } from './theme.js';

const themeLabels: Record<ThemeChoice, string> = { system: 'System', light: 'Light', dark: 'Dark' };

/** The app shell of signed-in pages: skip link, header with navigation, theme switch and sign-out. */
export function Layout() {
  const user = useUser();
  const { signOut } = useSession();
  const [theme, setTheme] = useTheme();
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <NavLink to="/incidents" className="brand" aria-label="Tocsin home">
          <img src="/icons/icon.svg" alt="" width={24} height={24} />
          <span>Tocsin</span>
        </NavLink>
        <nav aria-label="Main" className="mainnav">
          <ul>
            {navItems
              .filter((item) => !item.adminOnly || user.role === 'admin' || user.role === 'owner')
              .map((item) => (
                <li key={item.to}>
                  <NavLink to={item.to}>{item.label}</NavLink>
                </li>
              ))}
          </ul>
        </nav>
        <div className="topbar-end">
          <label className="theme-switch">
            <span className="visually-hidden">Theme</span>
            <select value={theme} onChange={(e) => setTheme(e.target.value as ThemeChoice)}>
              {Object.entries(themeLabels).map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </label>
          <span className="whoami" title={user.email}>
            {user.name}
          </span>
          <button type="button" className="link-button" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Suspense fallback={<Loading />}>
          <Outlet />
        </Suspense>
      </main>
    </div>
  );
}
