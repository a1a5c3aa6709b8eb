// DPF reads this header to know what the plugin is (name, URI, ports, features) before it
// compiles the format wrappers (LV2, VST3, CLAP, JACK) around earshot_plugin.cpp.
#pragma once

#define DISTRHO_PLUGIN_BRAND "earshot"
#define DISTRHO_PLUGIN_NAME "earshot"
#define DISTRHO_PLUGIN_URI "https://earshot.invalid/plugins/earshot"
#define DISTRHO_PLUGIN_CLAP_ID "earshot.listener"
#define DISTRHO_PLUGIN_CLAP_FEATURES "audio-effect", "stereo"
#define DISTRHO_PLUGIN_VST3_CATEGORIES "Fx|Tools"

#define DISTRHO_PLUGIN_HAS_UI 0
#define DISTRHO_PLUGIN_IS_RT_SAFE 1
// Stereo in and out: left ear, right ear.
#define DISTRHO_PLUGIN_NUM_INPUTS 2
#define DISTRHO_PLUGIN_NUM_OUTPUTS 2
// The latency is fixed per sample rate (the slowest listener's), reported so hosts compensate it.
#define DISTRHO_PLUGIN_WANT_LATENCY 1
// Every setting is a parameter: hosts save and restore parameters with the project.
#define DISTRHO_PLUGIN_WANT_STATE 0
#define DISTRHO_PLUGIN_WANT_PROGRAMS 0
