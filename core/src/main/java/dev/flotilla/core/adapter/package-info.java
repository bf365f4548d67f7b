/**
 * LoRA adapters in memory ({@link dev.flotilla.core.adapter.LoraAdapter}) and in the PEFT layout
 * that PEFT and vLLM load ({@code adapter_config.json} + {@code adapter_model.safetensors}), with
 * per-client validation against a federation's expectations.
 */
package dev.flotilla.core.adapter;
