-- A post's image as uploaded stays in post.image (a media key); the worker's processed copy
-- (metadata stripped, at most 1280 px) is post.image_display once written. Readers serve the
-- processed copy when there is one: coalesce(image_display, image).
alter table post add column image_display varchar(255);
