-- Argo CD health check for flotilla.dev/ClientPool (resource.customizations.health.flotilla.dev_ClientPool).
-- Healthy when the operator validated the pool (Ready=True), Degraded when it rejected it.
local hs = {}
local status = obj.status
if status ~= nil and status.conditions ~= nil then
  for _, c in ipairs(status.conditions) do
    if c.type == "Ready" then
      local generation = obj.metadata ~= nil and obj.metadata.generation or nil
      if generation ~= nil and status.observedGeneration ~= nil and status.observedGeneration < generation then
        break
      end
      if c.status == "True" then
        hs.status = "Healthy"
        hs.message = (status.clients or 0) .. " clients"
      elseif c.status == "False" then
        hs.status = "Degraded"
        hs.message = c.message or c.reason or "ClientPool is not valid"
      else
        hs.status = "Progressing"
        hs.message = c.message or "Validating the ClientPool"
      end
      return hs
    end
  end
end
hs.status = "Progressing"
hs.message = "Waiting for the operator to validate the ClientPool"
return hs
