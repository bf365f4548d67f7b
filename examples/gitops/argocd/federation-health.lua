-- Argo CD health check for flotilla.dev/Federation (resource.customizations.health.flotilla.dev_Federation).
-- Progressing while rounds run, Healthy once Completed, Degraded when Failed, Suspended when suspended.
local hs = {}

local function condition(status, type)
  if status.conditions == nil then
    return nil
  end
  for _, c in ipairs(status.conditions) do
    if c.type == type then
      return c
    end
  end
  return nil
end

local function progress(status)
  local total = obj.spec ~= nil and obj.spec.rounds or nil
  local current = status.currentRound or 0
  if total ~= nil then
    return "round " .. current .. "/" .. total
  end
  return "round " .. current
end

local status = obj.status
if status == nil or status.phase == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to accept the Federation"
  return hs
end

local generation = obj.metadata ~= nil and obj.metadata.generation or nil
if generation ~= nil and status.observedGeneration ~= nil and status.observedGeneration < generation then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to act on generation " .. generation
  return hs
end

local phase = status.phase
if phase == "Completed" then
  hs.status = "Healthy"
  hs.message = "Completed " .. progress(status)
  if status.globalAdapterUri ~= nil then
    hs.message = hs.message .. "; global adapter " .. status.globalAdapterUri
  end
elseif phase == "Failed" then
  hs.status = "Degraded"
  local degraded = condition(status, "Degraded")
  if degraded ~= nil and degraded.message ~= nil then
    hs.message = "Failed at " .. progress(status) .. ": " .. degraded.message
  else
    hs.message = "Failed at " .. progress(status)
  end
elseif phase == "Suspended" then
  hs.status = "Suspended"
  hs.message = "Suspended at " .. progress(status)
elseif phase == "Pending" or phase == "Training" or phase == "Aggregating" then
  hs.status = "Progressing"
  hs.message = phase .. " " .. progress(status)
  local round = status.round
  if phase == "Training" and round ~= nil and round.sampled ~= nil then
    hs.message = hs.message .. " (" .. (round.succeeded or 0) .. "/" .. round.sampled .. " clients done"
    if round.failed ~= nil and round.failed > 0 then
      hs.message = hs.message .. ", " .. round.failed .. " failed"
    end
    hs.message = hs.message .. ")"
  end
else
  hs.status = "Unknown"
  hs.message = "Unknown phase " .. tostring(phase)
end
return hs
