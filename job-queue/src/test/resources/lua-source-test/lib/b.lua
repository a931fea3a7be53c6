--#include lib/a.lua
local function b() return a() end
