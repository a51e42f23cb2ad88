import { NavLink } from 'react-router-dom';
import './ui.css';

/** The Users / Teams switch at the top of the people pages. */
export function PeopleTabs() {
  return (
    <nav aria-label="People" className="tabs">
      <NavLink to="/people/users">Users</NavLink>
      <NavLink to="/people/teams">Teams</NavLink>
    </nav>
  );
}
