-- load.lua plus a simulated trainee's think time of 1-2 seconds between requests (the capacity run).
dofile("bench/load.lua")

function delay()
  return math.random(1000, 2000)
end
