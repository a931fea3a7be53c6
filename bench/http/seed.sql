-- Bench data: 100 users, 1,000 posts, ~3,000 likes. :hash is the bcrypt hash of the bench password.
truncate request_log, post_like, post, app_user restart identity cascade;
insert into app_user (email, password, first_name, last_name, profile_setup_complete, is_active)
select 'user' || i || '@bench.example', :'hash', 'First' || i, 'Last' || i, true, true
from generate_series(1, 100) i;
insert into post (body, created_by_id, created_on, modified_on)
select 'Post number ' || i || ' about topic ' || (i % 17), 1 + (i % 100), now() - i * interval '1 minute', now() - i * interval '1 minute'
from generate_series(1, 1000) i;
insert into post_like (user_id, post_id)
select 1 + (i % 100), 1 + ((i * 7919) % 1000) from generate_series(1, 3000) i
on conflict do nothing;
analyze;
