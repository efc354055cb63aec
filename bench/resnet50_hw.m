// The hardware of the whole-ResNet-50 simulation benchmark (issue #5, bench/simulate_resnet50.sh):
// 256 PEs, 64 elements/cycle on the NoC and off chip; L1/L2 sizes absent (unlimited).
num_pes: 256
noc_bw_cstr: 64
offchip_bw_cstr: 64
