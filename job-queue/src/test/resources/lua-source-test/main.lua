-- main
--#include lib/a.lua
--#include lib/b.lua
return a() + b()
