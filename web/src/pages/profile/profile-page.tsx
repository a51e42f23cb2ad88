import { useUser } from '../../api/session.js';
import { ErrorText, Loading } from '../../components/status.js';
import { useResource } from '../../components/use-resource.js';
import '../people/ui.css';
import { ApiTokens } from './api-tokens.js';
import { ContactMethods } from './contact-methods.js';
import { loadProfile } from './profile-api.js';
import { PushDevice } from './push-device.js';
import { HandoffRules, NotificationRules } from './rules.js';

/** My profile: how Tocsin reaches me, when, push on this device, and my API tokens. */
export function ProfilePage() {
  const user = useUser();
  const data = useResource((signal) => loadProfile(user.id, signal), `profile:${user.id}`);
  return (
    <section aria-labelledby="profile-title" className="stack">
      <h1 id="profile-title">My profile</h1>
      <p className="muted">
        {user.name} · {user.email} · {user.role}
      </p>
      <ErrorText>{data.error}</ErrorText>
      {!data.data ? (
        <Loading />
      ) : (
        <>
          <ContactMethods userId={user.id} methods={data.data.methods} onChange={data.reload} />
          <NotificationRules
            userId={user.id}
            methods={data.data.methods}
            rules={data.data.rules}
            onChange={data.reload}
          />
          <HandoffRules
            userId={user.id}
            methods={data.data.methods}
            rules={data.data.handoffs}
            onChange={data.reload}
          />
          <PushDevice userId={user.id} methods={data.data.methods} onChange={data.reload} />
        </>
      )}
      {user.role !== 'observer' && <ApiTokens kind="user" />}
    </section>
  );
}
