-- An account whose access changes (deactivated, staff or superuser flag changed, password
-- changed, deleted) is announced on the channel app_user_access_changed as "<id>:<epoch ms>".
-- web-service listens and ends every token of the account issued before that moment at once,
-- whoever made the change (the API, an admin command, or SQL by hand), instead of letting an
-- access token work until it expires. A login that only upgrades the hash of an unchanged
-- password sets app.password_upgrade and is not announced.
create function app_user_access_changed() returns trigger language plpgsql as $$
begin
    if tg_op = 'DELETE' then
        perform pg_notify('app_user_access_changed', old.id || ':' || floor(extract(epoch from clock_timestamp()) * 1000)::bigint);
        return old;
    end if;
    if new.is_active is distinct from old.is_active
            or new.is_staff is distinct from old.is_staff
            or new.is_superuser is distinct from old.is_superuser
            or (new.password is distinct from old.password
                and coalesce(current_setting('app.password_upgrade', true), '') <> 'on') then
        perform pg_notify('app_user_access_changed', new.id || ':' || floor(extract(epoch from clock_timestamp()) * 1000)::bigint);
    end if;
    return new;
end
$$;

create trigger app_user_access_changed
    after update or delete on app_user
    for each row execute function app_user_access_changed();
