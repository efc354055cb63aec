// baton's bundled default network: a small CIFAR-sized CNN (32x32 input) whose layers exercise
// the common dataflow families on the default 256-PE accelerator (accelerator.yaml):
// kcp_ws (NVDLA-like weight stationary, two levels), yxp_os (ShiDianNao-like output
// stationary), row stationary (Eyeriss-like, zipped Y-R), depthwise, and a GEMM classifier.
// MAESTRO syntax: `baton schedule` / `baton analyze` read it like any MAESTRO mapping file.
Network tinynet {
  Layer conv1 {                       // 3x3 stem, kcp_ws: K across 16 clusters, C across PEs
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 32, C: 3, R: 3, S: 3, Y: 34, X: 34 }
    Dataflow {
      SpatialMap(1,1) K;
      TemporalMap(16,16) C;
      TemporalMap(Sz(R),Sz(R)) R;
      TemporalMap(Sz(S),Sz(S)) S;
      TemporalMap(Sz(R),1) Y;
      TemporalMap(Sz(S),1) X;
      Cluster(16, P);
      SpatialMap(1,1) C;
      TemporalMap(Sz(R),1) Y;
      TemporalMap(Sz(S),1) X;
      TemporalMap(Sz(R),Sz(R)) R;
      TemporalMap(Sz(S),Sz(S)) S;
    }
  }
  Layer conv2 {                       // strided 3x3, output stationary: output rows x cols on PEs
    Type: CONV
    Stride { X: 2, Y: 2 }
    Dimensions { K: 64, C: 32, R: 3, S: 3, Y: 33, X: 33 }
    Dataflow {
      TemporalMap(1,1) K;
      TemporalMap(1,1) C;
      SpatialMap(Sz(R),2) Y;
      TemporalMap(Sz(X),Sz(X)) X;
      Cluster(16, P);
      SpatialMap(Sz(S),2) X;
      TemporalMap(Sz(R),Sz(R)) R;
      TemporalMap(Sz(S),Sz(S)) S;
    }
  }
  Layer conv3 {                       // row stationary: a cluster of R PEs per output row
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 64, C: 64, R: 3, S: 3, Y: 18, X: 18 }
    Dataflow {
      SpatialMap(1,1) Y';
      TemporalMap(1,1) X';
      TemporalMap(1,1) C;
      TemporalMap(16,16) K;
      TemporalMap(Sz(R),Sz(R)) R;
      TemporalMap(Sz(S),Sz(S)) S;
      Cluster(Sz(R),P);
      SpatialMap(1,1) Y;
      SpatialMap(1,1) R;
      TemporalMap(Sz(S),Sz(S)) S;
    }
  }
  Layer dw4 {                         // depthwise 3x3: channels across PEs
    Type: DSCONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 1, C: 64, R: 3, S: 3, Y: 18, X: 18 }
    Dataflow {
      SpatialMap(1,1) C;
      TemporalMap(Sz(R),Sz(R)) R;
      TemporalMap(Sz(S),Sz(S)) S;
      TemporalMap(Sz(R),1) Y;
      TemporalMap(Sz(S),1) X;
    }
  }
  Layer pw5 {                         // pointwise 1x1, kcp_ws
    Type: CONV
    Dimensions { K: 128, C: 64, R: 1, S: 1, Y: 16, X: 16 }
    Dataflow {
      SpatialMap(1,1) K;
      TemporalMap(16,16) C;
      TemporalMap(Sz(R),1) Y;
      TemporalMap(Sz(S),1) X;
      Cluster(16, P);
      SpatialMap(1,1) C;
    }
  }
  Layer fc6 {                         // classifier as GEMM: O[M][N] = A[M][K] B[K][N]
    Type: GEMM
    Dimensions { M: 16, N: 10, K: 128 }
    Dataflow {
      SpatialMap(1,1) M;
      TemporalMap(1,1) N;
      TemporalMap(16,16) K;
      Cluster(16, P);
      SpatialMap(1,1) K;
    }
  }
}
